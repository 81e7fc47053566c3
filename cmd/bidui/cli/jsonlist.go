package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"sync"
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
	workers := max(1, min(runtime.GOMAXPROCS(0), len(items)/64))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var raw, ind bytes.Buffer
			enc := json.NewEncoder(&raw)
			enc.SetEscapeHTML(false)
			for i := w; i < len(items); i += workers {
				raw.Reset()
				if errs[w] = enc.Encode(items[i]); errs[w] != nil {
					return
				}
				ind.Reset()
				if errs[w] = json.Indent(&ind, bytes.TrimSuffix(raw.Bytes(), []byte("\n")), "    ", "  "); errs[w] != nil {
					return
				}
				out[i] = bytes.Clone(ind.Bytes())
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
