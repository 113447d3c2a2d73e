/*
 * The sysctls a packetdrill script sets with its shell commands (defaults.sh,
 * sysctl, set_sysctls.py, echo > /proc/sys/...), applied to the stack under
 * test (script_sysctl.c). cmdline_path: NULL for /proc/self/cmdline (tests
 * give a file of their own). Returns the number of settings applied.
 */
#ifndef TN_PD_SCRIPT_SYSCTL_H
#define TN_PD_SCRIPT_SYSCTL_H

struct tn_stack;

int pd_script_sysctls(struct tn_stack *st, const char *cmdline_path);

#endif
