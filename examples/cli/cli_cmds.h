/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands of vmmio-testpmd: the cmdline context (testpmd's command words)
 * and the runner for scripts and piped standard input.
 */
#ifndef CLI_CMDS_H
#define CLI_CMDS_H

#include <stdbool.h>
#include <stdio.h>

#include <cmdline.h>
#include <cmdline_parse.h>

/** The prompt of the interactive mode. */
#define CLI_PROMPT "vmmio-testpmd> "

/** Every command, for cmdline_new() and friends. */
extern cmdline_parse_ctx_t cli_cmds_ctx[];

/** Set by "quit" or a signal: the command loop ends. */
extern volatile bool cli_cmds_quit;

/**
 * Run commands line by line from @p in (a --cmdline-file or a pipe): each
 * line is echoed after the prompt, then parsed with cmdline; blank lines and
 * lines starting with '#' are skipped. Stops at end of file or "quit".
 *
 * @param cl a cmdline built on cli_cmds_ctx (its output is not used).
 * @return number of lines that failed to parse.
 */
unsigned int cli_cmds_run_stream(struct cmdline *cl, FILE *in);

#endif /* CLI_CMDS_H */
