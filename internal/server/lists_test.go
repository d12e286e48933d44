package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/server"
)

// The elements of a list are resolved one after the other (graph.marshalInOrder),
// so a field below a list that waited for its loader's timer, or read the database
// per object, would be paid once per element. With loaders that would wait an hour,
// every field below every list still answers at once — each level is read when its
// first object asks — in a bounded number of statements.
func TestLists_NoFieldBelowAListWaitsForALoader(t *testing.T) {
	h := newHubWith(t, true, server.Options{LoaderWait: time.Hour})
	seedVillages(t, h, 20)
	queries := map[string]string{
		"villages, their plans, items, lines and agencies": `{ villages(filter: {areaCode: "57"}, first: 30) { nodes {
			code subdistrict { nameTh } district { province { nameTh } } programs { code } history { field }
			provenance { agency { code } } preventionActivities { title }
			plans { budgetTotal village { code } facilitators { role agency { code parent { code } coveredAreas { code } } }
				items { plan { id } responsibleAgency { code } budgetTotal budgetLines { area { code } agency { code } program { code } planItem { id } } } } } } }`,
		"plans as of an instant": `query($at: DateTime) { villagePlans(filter: {asOf: $at}, first: 30) { nodes {
			budgetTotal facilitators { role } items { budgetTotal budgetLines { amount area { code } } } } } }`,
		"dashboards": `{ planProgress(fiscalYear: 2566) { byProvince { area { code nameTh } } }
			budgetSummary(fiscalYear: 2566, groupBy: [SOURCE, AGENCY, PROVINCE]) { rows { agency { code parent { code } } province { code } } }
			agencies(first: 50) { nodes { code parent { code } coveredAreas { code } } } }`,
		"meetings and programs": `{ meetings(first: 20) { nodes { chairAgency { code } program { code } agenciesPresent { code }
			agendaItems { title } actionItems { ownerAgency { code } meeting { id } } } }
			programs(first: 20) { nodes { measure { actionPlan { code } } participants { agency { code } } } } }`,
		"access": `{ accessPolicy { grants { agency { code } } roleRules { role } } me { agency { code } } }`,
	}
	for name, q := range queries {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		r, statements := h.do(ctx, q, map[string]any{"at": time.Now().Add(time.Second).UTC().Format(time.RFC3339)})
		timedOut := ctx.Err()
		cancel()
		if timedOut != nil || len(r.Errors) > 0 {
			t.Errorf("%s: %v %+v", name, timedOut, r.Errors)
			continue
		}
		if statements > 25 || strings.Count(string(r.Data), "{") < 10 {
			t.Errorf("%s: %d statements, data %.200s", name, statements, r.Data)
		}
		t.Logf("%s: %d statements", name, statements)
	}
}
