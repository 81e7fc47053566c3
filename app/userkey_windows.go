//go:build windows

package app

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// protectKey encrypts the automatic backups' key with DPAPI for this
// Windows user: the key file is of no use copied to another PC or opened
// by another account.
func protectKey(key []byte) ([]byte, error) {
	in := windows.DataBlob{Size: uint32(len(key)), Data: &key[0]}
	var out windows.DataBlob
	if err := windows.CryptProtectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, err
	}
	defer windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
}

// unprotectKey reverses protectKey, for this user on this PC only.
func unprotectKey(blob []byte) ([]byte, error) {
	if len(blob) == 0 {
		return nil, errBadKeyFile
	}
	in := windows.DataBlob{Size: uint32(len(blob)), Data: &blob[0]}
	var out windows.DataBlob
	if err := windows.CryptUnprotectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, err
	}
	defer windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
}

const keyProtection = "Windows 数据保护（DPAPI，仅限本机本用户）"
