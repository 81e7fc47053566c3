package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"bidui/assets"
)

// fontResource is the embedded Chinese font; Fyne's own has no CJK glyphs.
var fontResource = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.Font)

// iconResource is the application icon.
var iconResource = fyne.NewStaticResource("icon.png", assets.Icon)

// biduiTheme is the default light theme with the Chinese font for every text
// style and a slightly larger base size for office screens.
type biduiTheme struct{}

var _ fyne.Theme = biduiTheme{}

func (biduiTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0xB2, G: 0x22, B: 0x22, A: 0xFF}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (biduiTheme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

func (biduiTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (biduiTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 14
	}
	return theme.DefaultTheme().Size(n)
}
