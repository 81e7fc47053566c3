package engine

// Settings are the county's own settings, kept in the database.
type Settings struct {
	CountyName string `json:"county_name"` // e.g. 青山县
	CountyCode string `json:"county_code"` // 6-digit administrative code
	Operator   string `json:"operator"`    // name of the data officer, printed as 经办人
}

// DefaultSettings is what a new database starts with.
func DefaultSettings() Settings {
	return Settings{CountyName: "本县"}
}
