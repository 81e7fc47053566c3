package engine

// MonthFlow is how a batch month's warning clues moved (risk clues only;
// 信息变更 are roster updates): the clues it raised, those of earlier
// months still open when it began, those closed during it, those left
// open at its end, and the follow-ups that raised no clue.
type MonthFlow struct {
	Period    string `json:"period"`
	New       int    `json:"new"`         // risk clues of this batch
	CarriedIn int    `json:"carried_in"`  // earlier batches' clues not closed before the month began
	Closed    int    `json:"closed"`      // clues of this or earlier batches closed during the month
	OpenAtEnd int    `json:"open_at_end"` // carried in + new − closed
	FollowUps int    `json:"follow_ups"`
}

// FlowDefinition says what the month-over-month figures count.
const FlowDefinition = "新增线索：本批次比对和手工新增的预警线索（不含信息变更）；上批次结转：更早批次在本月1日前尚未办结的线索；" +
	"本月办结：本月内办结的线索（不纳入等在录入结果当日办结，纳入监测的在录入全国系统之日办结）；月末未办结 = 结转 + 新增 − 办结；" +
	"续报：已交办过的同一人再次报送、未再生成线索的记录"

// ClosedOn is the day a clue was closed (YYYY-MM-DD), "" while open: the
// day a 纳入监测 result was entered into the national system, else the day
// the result was recorded.
func (c *Clue) ClosedOn() string {
	if c.Status != StatusClosed || c.Feedback == nil {
		return ""
	}
	if c.Feedback.Outcome == OutcomeIncluded && c.Feedback.Entered != "" {
		return c.Feedback.Entered
	}
	return c.Feedback.At.Format("2006-01-02")
}

// Flow counts a batch month's flow over every clue up to it (clues of later
// batches are ignored).
func Flow(period string, clues []Clue, followUps int) MonthFlow {
	f := MonthFlow{Period: period, FollowUps: followUps}
	start := period + "-01"
	for i := range clues {
		c := &clues[i]
		if c.Kind != KindRisk || c.Period > period {
			continue
		}
		closed := c.ClosedOn()
		if c.Period == period {
			f.New++
		} else if closed == "" || closed >= start {
			f.CarriedIn++
		} else {
			continue // closed before the month began
		}
		if closed != "" && closed[:7] == period {
			f.Closed++
		}
	}
	f.OpenAtEnd = f.CarriedIn + f.New - f.Closed
	return f
}
