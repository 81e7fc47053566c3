package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"bidui/internal/par"
)

// writeJSONList writes {"key": [items…]} exactly as writeJSON would, but
// item by item, the items marshalled on every core: a large month's clues
// are tens of megabytes of JSON that writeJSON builds whole and then indents
// in a second pass.
func writeJSONList[T any](w io.Writer, key string, items []T) error {
	if len(items) == 0 {
		return writeJSON(w, map[string]any{key: items})
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	head, err := json.Marshal(key)
	if err != nil {
		return err
	}
	bw.WriteString("{\n  ")
	bw.Write(head)
	bw.WriteString(": [\n")
	const batch = 2048
	out := make([][]byte, min(batch, len(items)))
	for start := 0; start < len(items); start += batch {
		part := items[start:min(start+batch, len(items))]
		if err := marshalAll(part, out[:len(part)]); err != nil {
			return err
		}
		for i, b := range out[:len(part)] {
			if start+i > 0 {
				bw.WriteString(",\n")
			}
			bw.WriteString("    ")
			bw.Write(b)
		}
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// marshalAll marshals items into out as writeJSON's encoder would at the
// depth of a list's items (no HTML escaping, two-space indent).
func marshalAll[T any](items []T, out [][]byte) error {
	type buffers struct{ raw, ind bytes.Buffer }
	pool := sync.Pool{New: func() any { return new(buffers) }}
	return par.Each(len(items), len(items)/64, func(i int) error {
		b := pool.Get().(*buffers)
		defer pool.Put(b)
		b.raw.Reset()
		enc := json.NewEncoder(&b.raw)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(items[i]); err != nil {
			return err
		}
		b.ind.Reset()
		if err := json.Indent(&b.ind, bytes.TrimSuffix(b.raw.Bytes(), []byte("\n")), "    ", "  "); err != nil {
			return err
		}
		out[i] = bytes.Clone(b.ind.Bytes())
		return nil
	})
}
