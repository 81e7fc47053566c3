// Command checkexe checks that a file is a 64-bit Windows GUI executable:
// PE32+, machine AMD64, subsystem WINDOWS_GUI (so no console window opens).
//
//	go run ./scripts/checkexe dist/bidui.exe
package main

import (
	"debug/pe"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "用法：checkexe FILE.exe")
		os.Exit(2)
	}
	f, err := pe.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "不是 Windows 可执行文件：", err)
		os.Exit(1)
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	switch {
	case f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !ok:
		fmt.Fprintf(os.Stderr, "不是 64 位程序（machine %#x）\n", f.Machine)
		os.Exit(1)
	case oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		fmt.Fprintf(os.Stderr, "不是图形界面程序（subsystem %d），运行时会弹出命令行窗口\n", oh.Subsystem)
		os.Exit(1)
	}
	hasRsrc := false
	for _, s := range f.Sections {
		hasRsrc = hasRsrc || s.Name == ".rsrc"
	}
	if !hasRsrc {
		fmt.Fprintln(os.Stderr, "缺少图标和版本信息（.rsrc）")
		os.Exit(1)
	}
	fi, _ := os.Stat(os.Args[1])
	fmt.Printf("%s: 64 位 Windows 图形界面程序，含图标与版本信息，%.1f MB\n", os.Args[1], float64(fi.Size())/(1<<20))
}
