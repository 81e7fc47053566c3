package demo

import (
	"reflect"
	"testing"
	"time"

	"bidui/assets"
	"bidui/engine"
)

var now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministicAndValid(t *testing.T) {
	a := Generate(42, 300, "2026-11", now)
	b := Generate(42, 300, "2026-11", now)
	if !reflect.DeepEqual(a.Persons, b.Persons) {
		t.Fatal("the same seed gave a different county")
	}
	if reflect.DeepEqual(a.Persons, Generate(43, 300, "2026-11", now).Persons) {
		t.Fatal("another seed gave the same county")
	}
	seen := map[string]bool{}
	heads := map[string]*engine.Person{}
	for i := range a.Persons {
		p := &a.Persons[i]
		id := engine.ParseID(p.ID)
		if id.Status != engine.IDValid {
			t.Fatalf("person %s has an invalid ID: %s", p.Name, id.Reason)
		}
		if seen[p.ID] {
			t.Fatalf("ID %s used twice", p.ID)
		}
		seen[p.ID] = true
		if id.Sex() != p.Sex {
			t.Fatalf("%s: sex %s but the ID says %s", p.ID, p.Sex, id.Sex())
		}
		if p.Relation == "户主" {
			heads[p.HouseholdNo] = p
		}
	}
	// a household has one head, and children are younger than their parent
	for i := range a.Persons {
		p := &a.Persons[i]
		h := heads[p.HouseholdNo]
		if h == nil {
			t.Fatalf("household %s has no head", p.HouseholdNo)
		}
		if p.Relation == "之子" || p.Relation == "之女" {
			pb, _ := engine.ParseID(p.ID).Birth()
			hb, _ := engine.ParseID(h.ID).Birth()
			if pb.Sub(hb) < 15*365*24*time.Hour {
				t.Fatalf("child %s born %s, head born %s", p.Name, pb.Format("2006"), hb.Format("2006"))
			}
		}
	}
}

func TestDeptFilesCoverTheCatalog(t *testing.T) {
	cat, err := engine.ParseCatalog(assets.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	c := Generate(1, 200, "2026-11", now)
	c.MakeDeptFiles(cat, 1)
	n := 0
	for _, d := range cat.Departments {
		n += len(d.Lists)
	}
	if len(c.DeptFiles) != n {
		t.Fatalf("%d files for %d lists", len(c.DeptFiles), n)
	}
	formats := map[Format]bool{}
	for _, f := range c.DeptFiles {
		formats[f.Format] = true
		if f.Valid+f.Invalid != f.DataRows || len(f.Expect) != f.DataRows {
			t.Errorf("%s: valid %d + invalid %d, rows %d, truths %d", f.Name, f.Valid, f.Invalid, f.DataRows, len(f.Expect))
		}
		kinds := map[Kind]bool{}
		for _, e := range f.Expect {
			kinds[e.Kind] = true
		}
		for _, k := range []Kind{KindRoster, KindOff, KindDamaged, KindBadCheck, KindNoID, KindDup} {
			if !kinds[k] {
				t.Errorf("%s has no %s row", f.Name, k)
			}
		}
	}
	for _, f := range []Format{XLSX, CSVGBK, CSVUTF8BOM} {
		if !formats[f] {
			t.Errorf("no sample file in %s", f)
		}
	}
}
