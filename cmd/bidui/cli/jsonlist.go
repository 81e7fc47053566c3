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
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return par.Each(len(items), len(items)/64, func(i int) error {
		raw := pool.Get().(*bytes.Buffer)
		defer pool.Put(raw)
		raw.Reset()
		enc := json.NewEncoder(raw)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(items[i]); err != nil {
			return err
		}
		out[i] = indentCompact(make([]byte, 0, raw.Len()+raw.Len()/2), raw.Bytes(), "    ", "  ")
		return nil
	})
}

// indentCompact appends src, compact JSON as the encoder writes it, laid
// out as json.Indent lays it out: one pass over the bytes without
// json.Indent's validating scanner, which a month's tens of megabytes of
// clues do not need (the encoder made them). White space outside strings
// (the encoder's final newline) is dropped: the list writes its own.
func indentCompact(dst, src []byte, prefix, indent string) []byte {
	newline := func(dst []byte, depth int) []byte {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
		return dst
	}
	depth, open, inString := 0, false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			// copy the string up to its closing quote, escapes and all
			j := i
			for {
				q := bytes.IndexByte(src[j:], '"')
				if q < 0 {
					j = len(src) - 1
					break
				}
				j += q
				back := 0 // a quote after an odd number of backslashes is escaped
				for k := j - 1; k >= i && src[k] == '\\'; k-- {
					back++
				}
				if back%2 == 0 {
					break
				}
				j++
			}
			dst = append(dst, src[i:j+1]...)
			i, inString = j, false
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if open && c != '}' && c != ']' { // the first member of an object or array
			open = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			inString = true
			dst = append(dst, c)
		case '{', '[':
			open = true // an empty one stays {} or []
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
