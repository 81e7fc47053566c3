package engine

// Settings are the county's own settings, kept in the database.
type Settings struct {
	CountyName string `json:"county_name"` // e.g. 青山县
	CountyCode string `json:"county_code"` // 6-digit administrative code
	Operator   string `json:"operator"`    // name of the data officer, printed as 经办人
	// DueDay is the day of the month by which departments send the month's
	// lists (seed 000: the 25th; seed 003: the 5th of the next month, set as
	// DueNextMonth).
	DueDay       int  `json:"due_day"`
	DueNextMonth bool `json:"due_next_month,omitempty"`
	// AssignFormat numbers assignments, e.g. {县}防交〔{年}〕{月}-{序号}号.
	AssignFormat string `json:"assign_format"`
	// MaskPrint hides the middle of ID numbers on printed sheets.
	MaskPrint bool `json:"mask_print,omitempty"`
	// BackupKeep is how many automatic backups are kept (the oldest go).
	BackupKeep int `json:"backup_keep"`
	// BackupDir is where automatic backups go; empty: 备份 beside the database.
	BackupDir string `json:"backup_dir,omitempty"`
	// IdleMinutes locks the window after so many minutes without activity
	// when an account is logged in; 0 never locks.
	IdleMinutes int `json:"idle_minutes"`
	// Demo marks the demo county's own database: made-up data, to learn on.
	Demo bool `json:"demo,omitempty"`
}

// DefaultSettings is what a new database starts with.
func DefaultSettings() Settings {
	return Settings{CountyName: "本县", DueDay: 25, AssignFormat: DefaultAssignFormat, BackupKeep: 10, IdleMinutes: 15}
}
