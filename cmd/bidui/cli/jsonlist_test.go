package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// TestJSONListWritesWhatWriteJSONWrites: the streamed list is byte for byte
// what writeJSON writes for the same items — empty, one, and more than a
// batch, with text HTML escaping would change and nested values.
func TestJSONListWritesWhatWriteJSONWrites(t *testing.T) {
	type inner struct {
		Name  string   `json:"name"`
		Lines []int    `json:"lines"`
		Tags  []string `json:"tags,omitempty"`
	}
	type item struct {
		ID     string  `json:"id"`
		Amount float64 `json:"amount"`
		Note   string  `json:"note"`
		Risks  []inner `json:"risks"`
		Empty  []inner `json:"empty"`
	}
	for _, n := range []int{0, 1, 2, 5000} {
		items := make([]item, n)
		for i := range items {
			items[i] = item{ID: fmt.Sprintf("2026-11-%04d", i+1), Amount: float64(i) * 1.25, Note: "<张三> & \"李四\"\n第二行",
				Risks: []inner{{Name: "医保局·住院自付", Lines: []int{i + 3, i + 4}, Tags: []string{"a"}}, {Name: "民政"}}}
		}
		var want, got bytes.Buffer
		if err := writeJSON(&want, map[string]any{"clues": items}); err != nil {
			t.Fatal(err)
		}
		if err := writeJSONList(&got, "clues", items); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("%d items: streamed JSON differs from writeJSON's (%d and %d bytes)", n, got.Len(), want.Len())
		}
	}
}

// TestIndentCompactIsJSONIndent: the one-pass layout of the encoder's
// output is json.Indent's, on values of every shape: empty and nested
// objects and arrays, strings with escaped quotes and backslashes,
// brackets, commas and colons inside strings, numbers, literals, and
// non-ASCII text.
func TestIndentCompactIsJSONIndent(t *testing.T) {
	values := []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{map[string]any{}, []any{[]any{}}}},
		"a \\\"quoted\\\" \\\\ back\\\\slash \" , : { } [ ]",
		[]any{1, -2.5, 1e21, true, false, nil, "张三：{户主}，\u2028\t\n"},
		map[string]any{"key, with: punctuation": map[string]any{"\"": "\\", "x": []any{"]", "[", "}"}}},
		struct {
			ID    string
			Lines []int
			Empty []string
			Inner struct{ A, B string }
		}{"2026-11-0001", []int{3, 4}, []string{}, struct{ A, B string }{"甲", `"乙"`}},
	}
	for _, v := range values {
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, raw.Bytes(), "    ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentCompact(nil, raw.Bytes(), "    ", "  "); !bytes.Equal(got, bytes.TrimRight(want.Bytes(), "\n")) {
			t.Errorf("%s\nlaid out as\n%s\njson.Indent:\n%s", raw.Bytes(), got, want.Bytes())
		}
	}
}
