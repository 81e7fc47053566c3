package cli

import (
	"bytes"
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
