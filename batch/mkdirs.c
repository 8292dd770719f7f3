/*
 * mkdirs.c - making a folder and the folders above it (mkdir -p), for
 * the commands that write files: the report's folder, the dashboard's.
 */
#include "posko.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int posko_mkdirs(const char *dir) {
    char path[4096];
    size_t len = strlen(dir);
    struct stat sb;

    if (len == 0 || len >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') {
            continue;
        }
        path[i] = '\0';
        if (mkdir(path, 0750) != 0 && errno != EEXIST) {
            return -1;
        }
        path[i] = dir[i];
    }
    if (stat(dir, &sb) != 0) {
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}
