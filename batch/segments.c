/*
 * segments.c - finding the WAL segments in a directory, reading one into
 * memory, and how far ingest has loaded one, for `posko ingest`, `posko
 * wal check`, `posko prune` and `posko health`.
 *
 * A segment is named NODE-PID-STARTUS-SEQUENCE.wal.  A segment is known to
 * be finished, and so will not grow, when a newer segment of the same
 * writer (same NODE-PID-STARTUS) exists: a writer only ever appends to its
 * newest segment.
 */
#include "posko.h"
#include "posko_wal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int posko_is_segment(const struct dirent *d) {
    size_t len = strlen(d->d_name);
    size_t sfx = sizeof(POSKO_WAL_SUFFIX) - 1;

    return d->d_name[0] != '.' && len > sfx &&
           strcmp(d->d_name + len - sfx, POSKO_WAL_SUFFIX) == 0;
}

/* Splits NAME into its writer prefix (up to the last '-') and sequence. */
static int posko_segment_writer(const char *name, size_t *prefix_len,
                                unsigned long long *sequence) {
    const char *dash = strrchr(name, '-');
    char *end;

    if (dash == NULL) {
        return -1;
    }
    *prefix_len = (size_t)(dash - name);
    *sequence = strtoull(dash + 1, &end, 10);
    return strcmp(end, POSKO_WAL_SUFFIX) == 0 ? 0 : -1;
}

int posko_segments_list(const char *dir, posko_segment_list_t *list) {
    struct dirent **names;
    int n = scandir(dir, &names, posko_is_segment, alphasort);

    if (n < 0) {
        fprintf(stderr, "posko: cannot read WAL directory %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    list->count = (size_t)n;
    list->names = calloc((size_t)n + 1, sizeof(char *));
    list->finished = calloc((size_t)n + 1, sizeof(int));
    if (list->names == NULL || list->finished == NULL) {
        fprintf(stderr, "posko: out of memory\n");
        for (int i = 0; i < n; i++) {
            free(names[i]);
        }
        free(names);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        list->names[i] = strdup(names[i]->d_name);
        free(names[i]);
    }
    free(names);

    for (size_t i = 0; i < list->count; i++) {
        size_t pi, pj;
        unsigned long long si, sj;

        if (list->names[i] == NULL ||
            posko_segment_writer(list->names[i], &pi, &si) != 0) {
            continue;
        }
        for (size_t j = 0; j < list->count; j++) {
            if (j != i && list->names[j] != NULL &&
                posko_segment_writer(list->names[j], &pj, &sj) == 0 &&
                pi == pj && memcmp(list->names[i], list->names[j], pi) == 0 &&
                sj > si) {
                list->finished[i] = 1;
                break;
            }
        }
    }
    return 0;
}

void posko_segments_free(posko_segment_list_t *list) {
    for (size_t i = 0; i < list->count; i++) {
        free(list->names[i]);
    }
    free(list->names);
    free(list->finished);
    list->names = NULL;
    list->finished = NULL;
    list->count = 0;
}

int posko_segment_read(const char *path, uint8_t **out, size_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    uint8_t *buf;
    size_t got = 0;

    if (fd < 0 || fstat(fd, &sb) != 0) {
        fprintf(stderr, "posko: cannot read %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        close(fd);
        fprintf(stderr, "posko: out of memory reading %s\n", path);
        return -1;
    }
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fprintf(stderr, "posko: cannot read %s: %s\n", path,
                    strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    *out = buf;
    *size = got;
    return 0;
}

long long posko_checkpoint_of(sqlite3_stmt *st, const char *segment) {
    long long offset = -1;
    int rc;

    sqlite3_bind_text(st, 1, segment, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        offset = (long long)sqlite3_column_int64(st, 0);
    } else if (rc != SQLITE_DONE) {
        offset = -2;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return offset;
}
