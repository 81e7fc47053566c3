package files

import (
	"strings"
	"unicode"
)

// MaxNameRunes is how long a file or folder name made from data may be:
// Windows allows 255 characters a name but 260 a path, and the folder the
// officer chose comes first.
const MaxNameRunes = 60

// reserved are the device names Windows refuses as file names, with or
// without an extension.
var reserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// SafeName makes a file or folder name from data (a township, a number, a
// department) that is valid on Windows and Linux and stays where it is put:
// separators, the characters Windows forbids and control characters become
// _, leading and trailing spaces and dots go (so ".." is no way up), a
// device name such as CON gets a _ in front, and a long name is cut to
// MaxNameRunes. It never returns "".
func SafeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r), r == unicode.ReplacementChar:
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, " .\u3000")
	if r := []rune(s); len(r) > MaxNameRunes {
		s = strings.TrimRight(string(r[:MaxNameRunes]), " .")
	}
	stem, _, _ := strings.Cut(s, ".")
	if reserved[strings.ToUpper(strings.TrimSpace(stem))] {
		s = "_" + s
	}
	if s == "" {
		return "_"
	}
	return s
}
