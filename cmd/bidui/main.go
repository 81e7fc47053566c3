// Command bidui is 防返贫监测数据比对系统: without a subcommand it opens the
// window, with one it runs that command (see DESIGN.md §7).
package main

import (
	_ "bidui/internal/locale" // first: a locale before Fyne reads it
	"bufio"
	"fmt"
	"strings"

	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"bidui/app"
	"bidui/cmd/bidui/cli"
	"bidui/ui"

	"golang.org/x/term"
)

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(app.MemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		// collect less often: the memory limit above, not the heap's
		// growth, is what keeps a large month within the PC's memory
		debug.SetGCPercent(app.GCPercent)
	}
	args := os.Args[1:]
	if db, ok := cli.IsWindowRun(args); ok {
		if why := noDisplay(); why != "" {
			fmt.Fprintln(os.Stderr, why)
			os.Exit(1)
		}
		os.Exit(ui.Run(db))
	}
	attachConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(cli.Run(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Ctx: ctx, Password: readPassword}, args))
}

// readPassword asks on stderr and reads a password from the terminal
// without showing it, or a line from standard input when it is not a
// terminal.
func readPassword(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	defer fmt.Fprintln(os.Stderr)
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
