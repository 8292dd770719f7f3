/*
 * ingest_lock.c - the lock that lets one ingest at a time work on a
 * database: FILE.lock beside it, held with flock() until the process
 * ends.  Ingest takes it to load; prune takes it too, so that it never
 * removes a segment a running ingest has listed and is about to read.
 * Neither waits: the second says so and stops.
 */
#include "posko.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int posko_ingest_lock(const char *dbpath, const char *cmd, const char *undone) {
    char path[4096];
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s.lock", dbpath) >=
        sizeof(path)) {
        fprintf(stderr, "posko %s: the path %s is too long\n", cmd, dbpath);
        return -1;
    }
    /* read-only is enough for flock(), and lets a reader such as prune
     * take it where it may not write */
    fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        fprintf(stderr, "posko %s: cannot open lock file %s: %s\n", cmd, path,
                strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr,
                "posko %s: %s ingest is running on %s (it holds %s); "
                "nothing was %s, try again when it ends\n",
                cmd, strcmp(cmd, "ingest") == 0 ? "another" : "an", dbpath,
                path, undone);
        close(fd);
        return -1;
    }
    return fd;
}
