// Package locale gives the process a Chinese locale when the environment has
// none ("C", "POSIX" or unset), before Fyne's packages read it at start-up;
// otherwise every command would begin with Fyne's complaint about "C" on
// stderr. main imports it first; it depends on nothing but os, so Go's
// initialisation order runs it before Fyne's.
package locale

import "os"

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch os.Getenv(v) {
		case "":
			continue
		case "C", "POSIX", "C.UTF-8", "C.utf8":
			os.Unsetenv(v)
			continue
		}
		return // a real locale is set
	}
	os.Setenv("LANG", "zh_CN.UTF-8")
}
