package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bidui/app"
	"bidui/engine"
)

// columnPicker is the part of an import dialog that shows how the file's
// columns were understood — a drop-down per field, the officer may change
// each — and the first rows; the department list and roster dialogs share it.
type columnPicker struct {
	maps    map[string]*widget.Select
	mapBox  *fyne.Container
	preview *widget.Table
	note    *widget.Label
	prev    *app.Preview
}

func newColumnPicker() *columnPicker {
	c := &columnPicker{maps: map[string]*widget.Select{}, note: widget.NewLabel(""), mapBox: container.NewGridWithColumns(4)}
	c.note.Wrapping = fyne.TextWrapWord
	c.preview = widget.NewTable(c.previewSize, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, c.previewCell)
	return c
}

// show fills the drop-downs, the note and the preview from a preview.
func (c *columnPicker) show(p *app.Preview) {
	c.prev = p
	options := []string{noColumn}
	for i, h := range p.Header {
		options = append(options, columnOption(i, h))
	}
	c.mapBox.Objects = nil
	c.maps = map[string]*widget.Select{}
	for _, f := range p.Fields {
		sel := newSelect(options, nil)
		if col, ok := p.Columns[f.Key]; ok && col < len(p.Header) {
			sel.Selected = columnOption(col, p.Header[col])
		} else {
			sel.Selected = noColumn
		}
		label := f.Label
		if f.Required {
			label += "（必需）"
		}
		c.maps[f.Key] = sel
		c.mapBox.Add(widget.NewLabel(label))
		c.mapBox.Add(sel)
	}
	c.mapBox.Refresh()
	note := "已识别表头，请核对列对应后点“导入”。"
	if len(p.Missing) > 0 {
		note = missingNote(p)
	}
	c.note.SetText(note)
	for i := range p.Header {
		// as wide as the longest of the header and the first rows, within reason
		w := len([]rune(p.Header[i]))
		for _, r := range p.Rows {
			if i < len(r) && len([]rune(r[i])) > w {
				w = len([]rune(r[i]))
			}
		}
		c.preview.SetColumnWidth(i, float32(min(max(w*11+24, 70), 220)))
	}
	c.preview.Refresh()
}

// missingNote says which required columns were not found; a missing ID
// column is said first and plainly: without IDs nothing can be compared.
func missingNote(p *app.Preview) string {
	var names []string
	noID := false
	for _, f := range p.Missing {
		if f.Key == engine.FieldID.Key {
			noID = true
		} else {
			names = append(names, f.Label)
		}
	}
	note := ""
	if noID {
		note = "这个文件中没有找到身份证号列——没有身份证号就无法与名册比对。如果身份证号在某一列中（表头写法不同），请在“身份证号”下拉框中指定；" +
			"否则请向报送单位索取带身份证号的清单。"
	}
	if len(names) > 0 {
		note += "没有自动找到必需的列：" + strings.Join(names, "、") + "，请在上面的下拉框中指定。"
	}
	if len(p.Guess) > 0 {
		note += " 这个文件的表头更像是 " + strings.Join(p.Guess, "、") + " 的清单，请确认部门是否选对。"
	}
	return note
}

// clear says why there is nothing to show.
func (c *columnPicker) clear(msg string) {
	c.prev = nil
	c.note.SetText(msg)
	c.mapBox.Objects = nil
	c.mapBox.Refresh()
	c.preview.Refresh()
}

func (c *columnPicker) previewSize() (int, int) {
	if c.prev == nil {
		return 0, 0
	}
	return len(c.prev.Rows) + 1, len(c.prev.Header)
}

func (c *columnPicker) previewCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if c.prev == nil || id.Col >= len(c.prev.Header) {
		l.SetText("")
		return
	}
	if id.Row == 0 {
		l.TextStyle.Bold = true
		l.SetText(c.prev.Header[id.Col])
		return
	}
	l.TextStyle.Bold = false
	row := c.prev.Rows[id.Row-1]
	if id.Col < len(row) {
		l.SetText(row[id.Col])
	} else {
		l.SetText("")
	}
}

// mapping reads the drop-downs back into field key → column index.
func (c *columnPicker) mapping() map[string]int {
	out := map[string]int{}
	if c.prev == nil {
		return out
	}
	for key, sel := range c.maps {
		out[key] = -1
		for i, h := range c.prev.Header {
			if sel.Selected == columnOption(i, h) {
				out[key] = i
			}
		}
	}
	return out
}
