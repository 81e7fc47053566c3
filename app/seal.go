package app

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"bidui/engine/files"
	"bidui/engine/sealed"
)

// The key of the automatic backups, kept for this user beside the
// database: protected by DPAPI on Windows.
const keyFileName = "自动备份密钥.key"

var errBadKeyFile = errors.New("自动备份密钥文件已损坏")

// ErrNeedPassword asks for the password of an encrypted backup.
var ErrNeedPassword = errors.New("这是加密的备份，请输入备份时设置的密码（命令行用环境变量 BIDUI_BACKUP_PASSWORD）")

// MinBackupPassword is the shortest backup password accepted.
const MinBackupPassword = 8

// userKey is the automatic backups' key kept in dir, made on first use.
func userKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, keyFileName)
	blob, err := os.ReadFile(path)
	if err == nil {
		key, err := unprotectKey(blob)
		if err != nil {
			return nil, fmt.Errorf("无法取得自动备份的密钥（%s）：%v。自动备份只能由建立它的电脑和 Windows 用户恢复", keyProtection, err)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if blob, err = protectKey(key); err != nil {
		return nil, fmt.Errorf("无法保护自动备份的密钥：%v", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, files.WriteError(path, err)
	}
	if err := files.AtomicWriteMode(path, 0o600, func(tmp string) error { return os.WriteFile(tmp, blob, 0o600) }); err != nil {
		return nil, err
	}
	return key, nil
}

// writeSealed writes the database, sealed with the key, to path (through
// a temporary file, flushed to disk); no plain copy touches the disk.
func (a *App) writeSealed(path string, h sealed.Header, key []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return files.WriteError(path, err)
	}
	return files.AtomicWriteMode(path, 0o600, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		h.Compress = sealed.Gzip
		sw, err := sealed.NewWriter(bw, h, key)
		var zw io.WriteCloser
		if err == nil {
			zw, err = sealed.Compressor(sw, h)
		}
		if err == nil {
			err = a.db.Snapshot(zw)
		}
		if err == nil {
			err = zw.Close()
		}
		if err == nil {
			err = sw.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// unsealBackup gives a plain database file for a backup: the backup itself
// when it is not encrypted, else its contents decrypted into tmp, with the
// password or, for an automatic backup, the key kept in keyDir.
func unsealBackup(backup, password, keyDir, tmp string) (string, error) {
	f, err := os.Open(backup)
	if err != nil {
		return "", fmt.Errorf("找不到备份文件 %s", backup)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	head, _ := r.Peek(len(sealed.Magic))
	if !sealed.IsSealed(head) {
		return backup, nil
	}
	h, err := sealed.ReadHeader(r)
	if err != nil {
		return "", err
	}
	var key []byte
	switch h.Source {
	case sealed.FromPassword:
		if password == "" {
			return "", ErrNeedPassword
		}
		key = h.Key(password)
	case sealed.FromUserKey:
		if key, err = userKey(keyDir); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("不认识的加密方式 %q", h.Source)
	}
	if err := os.MkdirAll(filepath.Dir(tmp), 0o700); err != nil {
		return "", files.WriteError(tmp, err)
	}
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", files.WriteError(tmp, err)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	err = sealed.OpenData(bw, r, key, h)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		if errors.Is(err, sealed.ErrWrongKey) && h.Source == sealed.FromUserKey {
			return "", errors.New("这份自动备份不是用本机本用户的密钥加密的（或已被改动），无法在这里恢复")
		}
		return "", err
	}
	return tmp, nil
}

var _ io.Writer = (*sealed.Writer)(nil)
