/**
 * A pseudo-terminal for interactive exec sessions without a native addon: a small python3
 * program opens the pty, runs the command on it, relays bytes between the pty and its own
 * stdin/stdout, applies window sizes written to its fd 3 (`"<cols> <rows>\n"`) and exits with
 * the command's exit code.
 */

const PTY_HELPER = String.raw`
import os, sys, pty, fcntl, termios, struct, select, errno
cols, rows = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[4:]
pid, master = pty.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("exec %s: %s\r\n" % (argv[0], e.strerror)).encode())
        os._exit(127)
def size(c, r):
    if c > 0 and r > 0:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
size(cols, rows)
watch = [master, 0, 3]
ctl = b""
while True:
    try:
        ready, _, _ = select.select(watch, [], [])
    except InterruptedError:
        continue
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError as e:
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            watch.remove(0)
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            watch.remove(3)
        ctl += data
        while b"\n" in ctl:
            line, ctl = ctl.split(b"\n", 1)
            parts = line.split()
            if len(parts) == 2:
                size(int(parts[0]), int(parts[1]))
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`;

/** The argv that runs `argv` on a new pty of `cols`×`rows` (0: leave the default). */
export function ptyArgv(argv: readonly string[], cols: number, rows: number, python = "python3"): string[] {
  return [python, "-c", PTY_HELPER, String(cols), String(rows), "--", ...argv];
}

/** The control line that resizes the pty (written to the helper's fd 3). */
export function resizeLine(cols: number, rows: number): string {
  return `${Math.max(0, Math.floor(cols))} ${Math.max(0, Math.floor(rows))}\n`;
}
