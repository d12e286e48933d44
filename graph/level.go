package graph

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/agency"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/loader"
	"github.com/prasan-hub/prasan/internal/meeting"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/program"
)

// Loading a whole level at once.
//
// gqlgen resolves the elements of a list concurrently, each in its own goroutine, and
// a loader batches the keys that arrive within its wait. On a busy machine the
// objects of one level (say the plans of 100 villages) reach their fields over more
// time than any sensible wait, and one level becomes many batches.
//
// So every loader-backed field is resolved through load: the first object of a level
// to resolve a field hands the loader the keys of every object of its level, which
// all go into one batch whatever the timing; the other objects find their rows in the
// cache. The objects of a level are found from gqlgen's field contexts: the elements
// of the list the object is in, and for deeper levels the children of every object of
// the parent level, read back from the loaders' caches through the fetch functions
// each field registers as it first resolves.

// fetchFunc returns the values of a field for a parent object, from the loaders.
type fetchFunc func(parent any) []any

type levelField struct {
	level levelKey // the path of the objects' level, without list indexes
	field string   // the field's response name
}

type levels struct {
	mu      sync.Mutex
	fetches map[levelField]fetchFunc
	// handed is closed once the first object of a level has handed its level's
	// keys to the loader; the others wait for it, so that none starts a batch of
	// its own meanwhile.
	handed map[levelField]chan struct{}
}

type levelsCtxKey struct{}

// withLevels gives an operation its record of levels.
func withLevels(ctx context.Context) context.Context {
	return context.WithValue(ctx, levelsCtxKey{}, &levels{fetches: map[levelField]fetchFunc{}, handed: map[levelField]chan struct{}{}})
}

// getter is a loader accessor: the value for a key, given the keys of its level to
// read together (read now; with no level keys, after the loader's wait).
type getter[K comparable, V any] func(context.Context, K, ...K) (V, error)

// load resolves a field of obj with get (a loader accessor), handing the loader the
// keys of every object of obj's level the first time the field is resolved there.
// No object waits for a loader's timer: the elements of a list resolve one after
// the other (marshalInOrder), and would each pay it.
func load[P any, K comparable, V any](ctx context.Context, obj P, key func(P) K, get getter[K, V]) (V, error) {
	k := key(obj)
	lv, _ := ctx.Value(levelsCtxKey{}).(*levels)
	fc := graphql.GetFieldContext(ctx)
	if lv == nil || fc == nil || fc.Parent == nil {
		return get(ctx, k, k) // a level of one
	}
	lf := levelField{level: levelPath(fc.Parent), field: fc.Field.Alias}
	lv.mu.Lock()
	if !lv.registered(lf) {
		lv.fetches[lf] = fetchOf(ctx, key, get, nil)
	}
	handed, seen := lv.handed[lf]
	if !seen {
		handed = make(chan struct{})
		lv.handed[lf] = handed
	}
	lv.mu.Unlock()
	if seen {
		select {
		case <-handed:
		case <-ctx.Done():
		}
		// from the level's cache, or — should the level have missed it — now, alone
		return get(ctx, k, k)
	}
	release := sync.OnceFunc(func() { close(handed) })
	defer release()
	objects := lv.objectsAt(fc.Parent)
	keys := make([]K, 0, len(objects))
	for _, o := range objects {
		if p, ok := o.(P); ok {
			keys = append(keys, key(p))
		}
	}
	if len(keys) == 0 {
		keys = append(keys, k)
	}
	return get(loader.AfterEnqueue(ctx, release), k, keys...)
}

// loadKept is load for a field whose values a store may keep in memory (kept): a
// kept value is answered at once, without reading its level; the field still
// records how its values are found, for the levels below it.
func loadKept[P any, K comparable, V any](ctx context.Context, obj P, key func(P) K, kept func(context.Context, K) (V, bool), get getter[K, V]) (V, error) {
	v, ok := kept(ctx, key(obj))
	if !ok {
		return load(ctx, obj, key, get)
	}
	if lv, _ := ctx.Value(levelsCtxKey{}).(*levels); lv != nil {
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Parent != nil {
			lf := levelField{level: levelPath(fc.Parent), field: fc.Field.Alias}
			lv.mu.Lock()
			if !lv.registered(lf) {
				lv.fetches[lf] = fetchOf(ctx, key, get, kept)
			}
			lv.mu.Unlock()
		}
	}
	return v, nil
}

// registered reports whether how the values of field lf are found from a parent
// object is recorded (in fetches); lv.mu must be held.
func (lv *levels) registered(lf levelField) bool {
	_, ok := lv.fetches[lf]
	return ok
}

// fetchOf finds the values of a field for a parent object: kept in memory, cached
// by the loader, or read now.
func fetchOf[P any, K comparable, V any](ctx context.Context, key func(P) K, get getter[K, V], kept func(context.Context, K) (V, bool)) fetchFunc {
	return func(parent any) []any {
		p, ok := parent.(P)
		if !ok {
			return nil
		}
		k := key(p)
		if kept != nil {
			if v, ok := kept(ctx, k); ok {
				return flatten(v)
			}
		}
		v, err := get(ctx, k, k)
		if err != nil {
			return nil
		}
		return flatten(v)
	}
}

// objectsAt returns every object of the level of the object whose field context is
// obj: the elements of its list, or the values of its field, over all parents.
func (lv *levels) objectsAt(obj *graphql.FieldContext) []any {
	if obj.Index != nil {
		if obj.Parent == nil {
			return nil
		}
		return lv.valuesOf(obj.Parent)
	}
	return lv.valuesOf(obj)
}

// valuesOf returns the values of field f over every object of its parent's level,
// flattened.
func (lv *levels) valuesOf(f *graphql.FieldContext) []any {
	if !underList(f) {
		return flatten(f.Result)
	}
	if f.Parent == nil {
		return nil
	}
	parents := lv.objectsAt(f.Parent)
	lv.mu.Lock()
	fetch := lv.fetches[levelField{level: levelPath(f.Parent), field: f.Field.Alias}]
	lv.mu.Unlock()
	if fetch == nil {
		fetch = structField(f.Field.Name)
	}
	var out []any
	for _, p := range parents {
		out = append(out, fetch(p)...)
	}
	return out
}

// underList reports whether a field context lies under a list element, so that the
// field has a value per element rather than one.
func underList(f *graphql.FieldContext) bool {
	for p := f.Parent; p != nil; p = p.Parent {
		if p.Index != nil {
			return true
		}
	}
	return false
}

// structField reads a plain field (such as an edge's node) of parents that are not
// resolved through load.
func structField(name string) fetchFunc {
	return func(parent any) []any {
		v := reflect.ValueOf(parent)
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return nil
		}
		f := v.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) })
		if !f.IsValid() {
			return nil
		}
		return flatten(f.Interface())
	}
}

// levelPath is the response path of a field context without list indexes.
func levelPath(fc *graphql.FieldContext) levelKey {
	var k levelKey
	for c := fc; c != nil; c = c.Parent {
		if c.Index == nil && c.Field.Field != nil {
			k.n++
		}
	}
	var deeper []string // past levelDepth, from the deepest up
	i := k.n
	for c := fc; c != nil; c = c.Parent {
		if c.Index == nil && c.Field.Field != nil {
			if i--; i < levelDepth {
				k.aliases[i] = c.Field.Alias
			} else {
				deeper = append(deeper, c.Field.Alias)
			}
		}
	}
	if len(deeper) > 0 {
		slices.Reverse(deeper)
		k.deeper = strings.Join(deeper, ".")
	}
	return k
}

// levelKey is a response path without list indexes: its aliases from the root, in
// an array up to levelDepth deep (a map key built without allocating, for every
// field resolved through a loader), any deeper ones joined.
type levelKey struct {
	aliases [levelDepth]string
	n       int
	deeper  string
}

const levelDepth = 10

// flatten turns a value into the objects it holds: a slice's elements, or itself.
func flatten(v any) []any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice:
		out := make([]any, 0, rv.Len())
		for i := range rv.Len() {
			if e := rv.Index(i); !(e.Kind() == reflect.Pointer && e.IsNil()) {
				out = append(out, e.Interface())
			}
		}
		return out
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		if rv.Elem().Kind() == reflect.Slice {
			return flatten(rv.Elem().Interface())
		}
	case reflect.Invalid:
		return nil
	}
	return []any{v}
}

// Keys of the objects whose fields load children.
func provinceCode(p *area.Province) string       { return p.Code }
func districtCode(d *area.District) string       { return d.Code }
func subdistrictCode(s *area.Subdistrict) string { return s.Code }
func villageCode(v *area.Village) string         { return v.Code }
func planAsOf(p *plan.Plan) loader.AsOfKey       { return loader.AsOf(p.ID, deref(p.AsOf)) }
func planID(p *plan.Plan) int64                  { return p.ID }
func itemID(i *plan.Item) int64                  { return i.ID }
func programCode(p *program.Program) string      { return p.Code }
func meetingID(m *meeting.Meeting) int64         { return m.ID }

// loadAgency resolves an agency field of obj: an agency the store keeps is read
// from memory at once, any other is loaded with its level.
func loadAgency[P any](ctx context.Context, obj P, code func(P) string) (*agency.Agency, error) {
	return loadKept(ctx, obj, code, loader.KeptAgency, loader.Agency)
}
