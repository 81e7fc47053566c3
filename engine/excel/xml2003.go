package excel

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Excel 2003's "XML 表格" (SpreadsheetML), which some systems still
// export and name .xls: <Workbook><Worksheet ss:Name><Table><Row><Cell
// ss:Index ss:MergeAcross><Data ss:Type>…

// isSpreadsheetML tells an Excel 2003 XML workbook by its namespace.
func isSpreadsheetML(head []byte) bool {
	return bytes.Contains(head, []byte("urn:schemas-microsoft-com:office:spreadsheet"))
}

// xmlBook is an Excel 2003 XML workbook while it is read.
type xmlBook struct {
	names   []string
	sheets  map[string][][]string
	name    string
	rows    [][]string
	row     []string
	valueAt int // the current cell's column: the first of a merge
	dtype   string
	inData  bool
	text    strings.Builder
}

// spreadsheetML reads every worksheet's rows as cell text, in order.
func spreadsheetML(data []byte) (names []string, sheets map[string][][]string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "gbk", "gb2312", "gb18030":
			return simplifiedchinese.GB18030.NewDecoder().Reader(r), nil
		}
		return nil, fmt.Errorf("不支持的编码 %s", label)
	}
	b := &xmlBook{sheets: map[string][][]string{}}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.names, b.sheets, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.start(t)
		case xml.CharData:
			if b.inData {
				b.text.Write(t)
				if b.text.Len() > MaxCellBytes {
					return nil, nil, tooBig("有一个单元格超过 32767 个字符（Excel 的上限）")
				}
			}
		case xml.EndElement:
			if err := b.end(t); err != nil {
				return nil, nil, err
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (b *xmlBook) start(t xml.StartElement) {
	switch t.Name.Local {
	case "Worksheet":
		b.name, b.rows = attr(t, "Name"), nil
		if b.name == "" {
			b.name = fmt.Sprintf("Sheet%d", len(b.names)+1)
		}
	case "Row":
		if i, err := strconv.Atoi(attr(t, "Index")); err == nil {
			for len(b.rows) < i-1 && len(b.rows) < MaxRows {
				b.rows = append(b.rows, nil)
			}
		}
		b.row = []string{}
	case "Cell":
		if i, err := strconv.Atoi(attr(t, "Index")); err == nil && i > len(b.row) && i <= 16384 {
			for len(b.row) < i-1 {
				b.row = append(b.row, "")
			}
		}
		b.valueAt = len(b.row)
		b.row = append(b.row, "")
		if n, err := strconv.Atoi(attr(t, "MergeAcross")); err == nil && n > 0 && n < 16384 {
			for k := 0; k < n; k++ {
				b.row = append(b.row, "")
			}
		}
	case "Data":
		b.inData, b.dtype = true, attr(t, "Type")
		b.text.Reset()
	}
}

func (b *xmlBook) end(t xml.EndElement) error {
	switch t.Name.Local {
	case "Data":
		b.inData = false
		v := b.text.String()
		switch b.dtype {
		case "Boolean":
			v = map[string]string{"1": "TRUE", "0": "FALSE"}[strings.TrimSpace(v)]
		case "DateTime":
			if s, ok := isoSerial(strings.TrimSuffix(strings.TrimSpace(v), ".000")); ok {
				v = s
			}
		}
		if b.valueAt < len(b.row) {
			b.row[b.valueAt] = newlines(v)
		}
	case "Row":
		b.rows = append(b.rows, b.row)
		if len(b.rows) > MaxRows {
			return tooBig("超过 %d 行（Excel 的上限）", MaxRows)
		}
	case "Worksheet":
		b.names = append(b.names, b.name)
		b.sheets[b.name] = b.rows
	}
	return nil
}
