//go:build !windows

package app

// protectKey keeps the key as it is: the key file is readable by this
// user only (mode 0600); there is no DPAPI outside Windows.
func protectKey(key []byte) ([]byte, error) { return append([]byte(nil), key...), nil }

func unprotectKey(blob []byte) ([]byte, error) {
	if len(blob) != 32 {
		return nil, errBadKeyFile
	}
	return append([]byte(nil), blob...), nil
}

const keyProtection = "仅本用户可读的密钥文件"
