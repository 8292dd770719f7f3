/*
 * posko.c - the `posko` batch command: the list of subcommands, each
 * described and run in a file of its own (ingest.c, report.c,
 * dashboard.c, export.c, prune.c, health.c, wal_check.c), and `posko
 * help`, which writes each one's usage from its option table
 * (options.c).
 *
 * Every subcommand prints a one-line summary on success and a sentence on
 * stderr on failure, and exits with 0 (done), 1 (failed) or 2 (usage).
 */
#include "posko.h"

#include <stdio.h>
#include <string.h>

static int posko_help_run(int argc, char **argv);

typedef struct {
    posko_opt_list_t command;
} posko_help_args_t;

static const posko_operands_t posko_help_operands = {
    "[COMMAND]", 0, 1, offsetof(posko_help_args_t, command)};

static const posko_command_t posko_help_command = {
    "help", posko_help_run, NULL, NULL,
    "show this help, or the help of one command",
    "Without COMMAND, lists the commands.\n", &posko_help_operands};

static const posko_command_t *const posko_commands[] = {
    &posko_ingest_command, &posko_report_command, &posko_dashboard_command,
    &posko_export_command, &posko_prune_command,  &posko_health_command,
    &posko_wal_command,    &posko_help_command,
};

#define POSKO_NCOMMANDS (sizeof(posko_commands) / sizeof(posko_commands[0]))

/* Former names, still accepted, so that scripts written for them keep
 * working; `posko help` lists only the new ones. */
static const struct {
    const char *name;
    const posko_command_t *command;
} posko_aliases[] = {
    {"status", &posko_health_command},
};

static const posko_command_t *posko_command_find(const char *name) {
    for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
        if (strcmp(posko_commands[i]->name, name) == 0) {
            return posko_commands[i];
        }
    }
    for (size_t i = 0; i < sizeof(posko_aliases) / sizeof(posko_aliases[0]);
         i++) {
        if (strcmp(posko_aliases[i].name, name) == 0) {
            return posko_aliases[i].command;
        }
    }
    return NULL;
}

static void posko_overview(void) {
    printf("posko - batch jobs of the Hajj pilgrims' online complaint post\n"
           "\n"
           "usage: posko COMMAND [OPTIONS]\n"
           "\n"
           "commands:\n");
    for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
        printf("  %-10s %s\n", posko_commands[i]->name,
               posko_commands[i]->summary);
    }
    printf("\n"
           "exit codes: 0 done, 1 failed (the reason is on stderr),\n"
           "            2 wrong usage\n"
           "'posko help COMMAND' shows the options of one command.\n");
}

static int posko_help_run(int argc, char **argv) {
    posko_help_args_t args = {0};
    const posko_command_t *cmd;
    int rc = posko_opt_parse(&posko_help_command, argc, argv, &args);

    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    if (args.command.n == 0) {
        posko_overview();
        return POSKO_EXIT_OK;
    }
    cmd = posko_command_find(args.command.v[0]);
    if (cmd == NULL) {
        fprintf(stderr, "posko: no command named '%s'; see 'posko help'\n",
                args.command.v[0]);
        return POSKO_EXIT_USAGE;
    }
    posko_opt_help(cmd, stdout);
    return POSKO_EXIT_OK;
}

int main(int argc, char **argv) {
    const posko_command_t *cmd;

    if (argc < 2) {
        posko_overview();
        return POSKO_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        posko_overview();
        return POSKO_EXIT_OK;
    }
    cmd = posko_command_find(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "posko: unknown command '%s'; see 'posko help'\n",
                argv[1]);
        return POSKO_EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1);
}
