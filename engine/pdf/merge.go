package pdf

import (
	"fmt"
	"io"
	"os"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"bidui/engine/files"
)

func init() {
	// pdfcpu keeps no settings of ours: it must not write a configuration
	// folder into the officer's profile
	model.ConfigPath = "disable"
}

// Merge writes the PDFs in, in order, into one PDF at path (written
// atomically). The township sheets are laid out one at a time and joined
// here, so the combined sheet of a large month never holds every page's
// layout in memory at once.
func Merge(path string, in []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("合并 PDF 时出错（%v），各乡镇的交办单已分别生成，可分别打印", r)
		}
	}()
	if len(in) == 0 {
		return fmt.Errorf("没有要合并的交办单")
	}
	rs := make([]io.ReadSeeker, len(in))
	for i, name := range in {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("合并 PDF 时无法读取 %s：%w", name, err)
		}
		defer f.Close()
		rs[i] = f
	}
	conf := model.NewDefaultConfiguration()
	conf.OptimizeBeforeWriting = false
	return files.AtomicWrite(path, func(tmp string) error {
		out, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := api.MergeRaw(rs, out, false, conf); err != nil {
			out.Close()
			return fmt.Errorf("合并 PDF 时出错：%w", err)
		}
		return out.Close()
	})
}
