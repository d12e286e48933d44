package main

import (
	"fmt"
	"strings"
	"testing"
)

// generatedField is a field as gqlgen v0.17.98 generates it, with its field
// context: scalar (true) or of an object type.
func generatedField(object, field, structField, valueType, marshal string, scalar bool) string {
	fieldContext := `graphql.NewScalarFieldContext("` + object + `", field, false, false, "String")`
	if !scalar {
		fieldContext = `&graphql.FieldContext{Object: "` + object + `"}, nil`
	}
	return fmt.Sprintf(`func (ec *executionContext) _%[1]s_%[2]s(ctx context.Context, field graphql.CollectedField, obj *area.%[1]s) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_%[1]s_%[2]s(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.%[3]s, nil
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v %[4]s) graphql.Marshaler {
			return ec.%[5]s(ctx, selections, v)
		},
		true,
		true,
	)
}
func (ec *executionContext) fieldContext_%[1]s_%[2]s(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return %[6]s
}
`, object, field, structField, valueType, marshal, fieldContext)
}

func TestDirectPlainFields(t *testing.T) {
	cases := []struct {
		name                            string
		structField, valueType, marshal string
		scalar                          bool
		want                            string // the body rewritten; "" when left alone
	}{
		{"a scalar", "Code", "string", "marshalNString2string", true,
			"return ec.marshalNString2string(ctx, field.Selections, obj.Code)"},
		{"a nullable scalar", "NameEn", "*string", "marshalOString2ᚖstring", true,
			"return ec.marshalOString2ᚖstring(ctx, field.Selections, obj.NameEn)"},
		{"an enum", "Level", "area.Level", "marshalNAreaLevel2githubᚗcomᚋprasanᚑhubᚋprasanᚋinternalᚋareaᚐLevel", true,
			"return ec.marshalNAreaLevel2githubᚗcomᚋprasanᚑhubᚋprasanᚋinternalᚋareaᚐLevel(ctx, field.Selections, obj.Level)"},
		// its children need the field context (their paths, the level loading)
		{"an object", "Province", "*area.Province", "marshalOProvince2ᚖarea", false, ""},
		// a nil one is an error reported at the field's path
		{"a non-null pointer", "Households", "*int", "marshalNInt2ᚖint", true, ""},
		{"a list", "Tags", "[]string", "marshalNString2ᚕstringᚄ", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := generatedField("Village", "f", c.structField, c.valueType, c.marshal, c.scalar)
			out, n := directPlainFields([]byte(src))
			if c.want == "" {
				if n != 0 || string(out) != src {
					t.Fatalf("rewrote %d fields:\n%s", n, out)
				}
				return
			}
			if n != 1 || !strings.Contains(string(out), "obj *area.Village) (ret graphql.Marshaler) {\n\t"+c.want+"\n}") {
				t.Fatalf("rewrote %d fields:\n%s", n, out)
			}
			if strings.Contains(string(out), "graphql.ResolveField(") {
				t.Errorf("ResolveField left in:\n%s", out)
			}
		})
	}
}
