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
	sheets = map[string][][]string{}
	var rows [][]string
	var row []string
	var name, dtype string
	valueAt := 0 // the current cell's column: the first of a merge
	var text strings.Builder
	inData := false
	attr := func(se xml.StartElement, local string) string {
		for _, a := range se.Attr {
			if a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return names, sheets, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Worksheet":
				name, rows = attr(t, "Name"), nil
				if name == "" {
					name = fmt.Sprintf("Sheet%d", len(names)+1)
				}
			case "Row":
				if i, err := strconv.Atoi(attr(t, "Index")); err == nil {
					for len(rows) < i-1 && len(rows) < MaxRows {
						rows = append(rows, nil)
					}
				}
				row = []string{}
			case "Cell":
				if i, err := strconv.Atoi(attr(t, "Index")); err == nil && i > len(row) && i <= 16384 {
					for len(row) < i-1 {
						row = append(row, "")
					}
				}
				valueAt = len(row)
				row = append(row, "")
				if n, err := strconv.Atoi(attr(t, "MergeAcross")); err == nil && n > 0 && n < 16384 {
					for k := 0; k < n; k++ {
						row = append(row, "")
					}
				}
			case "Data":
				inData = true
				dtype = attr(t, "Type")
				text.Reset()
			}
		case xml.CharData:
			if inData {
				text.Write(t)
				if text.Len() > MaxCellBytes {
					return nil, nil, tooBig("有一个单元格超过 32767 个字符（Excel 的上限）")
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "Data":
				inData = false
				v := text.String()
				switch dtype {
				case "Boolean":
					v = map[string]string{"1": "TRUE", "0": "FALSE"}[strings.TrimSpace(v)]
				case "DateTime":
					if s, ok := isoSerial(strings.TrimSuffix(strings.TrimSpace(v), ".000")); ok {
						v = s
					}
				}
				if valueAt < len(row) {
					row[valueAt] = newlines(v)
				}
			case "Row":
				rows = append(rows, row)
				if len(rows) > MaxRows {
					return nil, nil, tooBig("超过 %d 行（Excel 的上限）", MaxRows)
				}
			case "Worksheet":
				names = append(names, name)
				sheets[name] = rows
			}
		}
	}
}
