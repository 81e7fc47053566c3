package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultDBPath is the database in the user's data folder: on Windows
// %LocalAppData%\bidui (local to the PC: a database of hundreds of MB in the
// roaming profile would be copied at every logon on a domain PC), elsewhere
// ~/.config/bidui. A data folder that an earlier version kept in
// %AppData%\bidui (roaming) is moved there first, with its backups.
func DefaultDBPath() string {
	cur, legacy := dataDirs(runtime.GOOS, os.Getenv, os.UserConfigDir)
	dir, err := migrateDataDir(legacy, cur)
	if err != nil {
		fmt.Fprintln(os.Stderr, "注意：数据文件夹未能从 "+legacy+" 移到 "+cur+"，本次仍使用原位置（"+err.Error()+"）")
	}
	return filepath.Join(dir, "bidui.db")
}

// dataDirs is the data folder for goos, and where earlier versions kept it
// ("" when they kept it in the same place).
func dataDirs(goos string, getenv func(string) string, configDir func() (string, error)) (cur, legacy string) {
	conf, err := configDir()
	if err != nil || conf == "" {
		conf = "."
	}
	if goos == "windows" {
		if local := getenv("LOCALAPPDATA"); local != "" {
			return filepath.Join(local, "bidui"), filepath.Join(conf, "bidui")
		}
	}
	return filepath.Join(conf, "bidui"), ""
}

// migrateDataDir moves an earlier version's data folder (database, backups,
// log, sample files) to cur, unless cur already holds a database. It
// returns the folder to use: legacy when the move could not be made (the
// database open in an older copy of the program, say), so nothing is lost.
func migrateDataDir(legacy, cur string) (string, error) {
	if legacy == "" || legacy == cur {
		return cur, nil
	}
	if _, err := os.Stat(filepath.Join(legacy, "bidui.db")); err != nil {
		return cur, nil // nothing to move
	}
	if _, err := os.Stat(filepath.Join(cur, "bidui.db")); err == nil {
		return cur, nil // already moved, or a database made here since
	}
	if err := os.MkdirAll(filepath.Dir(cur), 0o755); err != nil {
		return legacy, err
	}
	if err := os.Rename(legacy, cur); err == nil {
		return cur, nil
	} else if _, serr := os.Stat(cur); !errors.Is(serr, os.ErrNotExist) {
		// cur exists (empty, or with files but no database): move entry by entry
		entries, rerr := os.ReadDir(legacy)
		if rerr != nil {
			return legacy, rerr
		}
		// the database last, so a move cut short leaves it where it was found
		for _, e := range entries {
			if e.Name() != "bidui.db" {
				if err := os.Rename(filepath.Join(legacy, e.Name()), filepath.Join(cur, e.Name())); err != nil {
					return legacy, err
				}
			}
		}
		if err := os.Rename(filepath.Join(legacy, "bidui.db"), filepath.Join(cur, "bidui.db")); err != nil {
			return legacy, err
		}
		os.Remove(legacy)
		return cur, nil
	} else {
		return legacy, err
	}
}
