// Command bidui is 防返贫监测数据比对系统: without a subcommand it opens the
// window, with one it runs that command (see DESIGN.md §7).
package main

import (
	_ "bidui/internal/locale" // first: a locale before Fyne reads it

	"context"
	"os"
	"os/signal"

	"bidui/cmd/bidui/cli"
	"bidui/ui"
)

func main() {
	args := os.Args[1:]
	if db, ok := cli.IsWindowRun(args); ok {
		os.Exit(ui.Run(db))
	}
	attachConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(cli.Run(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Ctx: ctx}, args))
}
