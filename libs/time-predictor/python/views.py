"""CodeExecTimeDB's derived views of Python programs, computed with Python's own ast and tokenize.

Reads JSON lines {"code": str} on stdin and writes one JSON line per input:
  {"uni": str, "looprec": str, "spans": [[start, end], ...]}   or   {"error": str}
- uni: user-chosen identifiers renamed in order of first definition: functions function1..,
  classes class1.., everything else (variables, parameters, loop targets, aliases) var1..;
  attribute names, keyword names of calls to code we did not rename, builtins and imported names
  are kept. Layout and comments are kept (only the renamed tokens change).
- looprec: uni reduced to its loops and recursive functions (kept whole), with the compound
  statements that contain them kept as skeletons; other statements dropped (ast.unparse layout).
- spans: [start, end) offsets in UTF-16 code units (JavaScript string indices) of every token of
  uni except layout tokens (NEWLINE, NL, INDENT, DEDENT, ENDMARKER), for random deletion.
"""
import ast
import io
import json
import keyword
import sys
import tokenize

LAYOUT = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
LOOPS = (ast.For, ast.While, ast.AsyncFor)
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def line_starts(code):
    starts = [0]
    for i, ch in enumerate(code):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def utf16_index(code):
    if code.isascii():
        return lambda i: i
    acc = [0]
    for ch in code:
        acc.append(acc[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return lambda i: acc[i]


def tokens(code):
    return list(tokenize.generate_tokens(io.StringIO(code).readline))


def defined_names(tree):
    """(position, name, kind) for every user definition; kind is function, class or var."""
    found = []

    def add(node_pos, name, kind):
        if name and not keyword.iskeyword(name) and name != "_" and not name.startswith("__"):
            found.append((node_pos, name, kind))

    for node in ast.walk(tree):
        pos = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        if isinstance(node, FUNCS):
            add(pos, node.name, "function")
        elif isinstance(node, ast.ClassDef):
            add(pos, node.name, "class")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            add(pos, node.id, "var")
        elif isinstance(node, ast.arg):
            add(pos, node.arg, "var")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                add(pos, n, "var")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            add(pos, node.name, "var")
        elif isinstance(node, ast.alias) and node.asname:
            add(pos, node.asname, "var")
    return found


def rename_map(tree):
    rank = {"var": 0, "class": 1, "function": 2}
    order = sorted(defined_names(tree), key=lambda t: t[0])
    kinds = {}
    for _, name, kind in order:
        if name not in kinds or rank[kind] > rank[kinds[name]]:
            kinds[name] = kind
    counters = {"function": 0, "class": 0, "var": 0}
    mapping = {}
    for _, name, _ in order:
        if name in mapping:
            continue
        kind = kinds[name]
        counters[kind] += 1
        mapping[name] = f"{kind}{counters[kind]}"
    return mapping


def kept_keyword_positions(tree, mapping):
    """Positions of keyword-argument names that must not be renamed (calls to code we did not rename)."""
    keep = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func.id if isinstance(node.func, ast.Name) else None
            renamed_callee = target is not None and target in mapping
            for kw in node.keywords:
                if kw.arg is not None and not renamed_callee:
                    keep.add((kw.lineno, kw.col_offset))
    return keep


def unify(code):
    tree = ast.parse(code)
    mapping = rename_map(tree)
    keep = kept_keyword_positions(tree, mapping)
    starts = line_starts(code)
    edits = []
    prev = None
    for tok in tokens(code):
        if tok.type == tokenize.NAME and tok.string in mapping and tok.start not in keep:
            after_dot = prev is not None and prev.type == tokenize.OP and prev.string == "."
            if not after_dot:
                a = starts[tok.start[0] - 1] + tok.start[1]
                edits.append((a, a + len(tok.string), mapping[tok.string]))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            prev = tok
    out = []
    last = 0
    for a, b, text in edits:
        out.append(code[last:a])
        out.append(text)
        last = b
    out.append(code[last:])
    return "".join(out)


def recursive_functions(tree):
    rec = set()
    for node in ast.walk(tree):
        if isinstance(node, FUNCS):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == node.name:
                    rec.add(node.name)
                    break
    return rec


def reduce_body(stmts, rec):
    out = []
    for s in stmts:
        if isinstance(s, LOOPS) or (isinstance(s, FUNCS) and s.name in rec):
            out.append(s)
        elif isinstance(s, (ast.If, ast.With, ast.AsyncWith) + FUNCS + (ast.ClassDef,)):
            body = reduce_body(s.body, rec)
            orelse = reduce_body(getattr(s, "orelse", []), rec)
            if body or orelse:
                s.body = body or [ast.Pass()]
                if hasattr(s, "orelse"):
                    s.orelse = orelse
                out.append(s)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            inner = list(s.body) + [x for h in s.handlers for x in h.body] + list(s.orelse) + list(s.finalbody)
            out.extend(reduce_body(inner, rec))
        elif type(s).__name__ == "Match":
            out.extend(reduce_body([x for c in s.cases for x in c.body], rec))
    return out


def loop_rec(uni):
    tree = ast.parse(uni)
    rec = recursive_functions(tree)
    tree.body = reduce_body(tree.body, rec)
    return ast.unparse(ast.fix_missing_locations(tree)) + ("\n" if tree.body else "")


def spans(code):
    starts = line_starts(code)
    u16 = utf16_index(code)
    out = []
    for tok in tokens(code):
        if tok.type in LAYOUT:
            continue
        a = starts[tok.start[0] - 1] + tok.start[1]
        b = starts[tok.end[0] - 1] + tok.end[1]
        if b > a:
            out.append([u16(a), u16(b)])
    return out


def views(code):
    uni = unify(code)
    return {"uni": uni, "looprec": loop_rec(uni), "spans": spans(uni)}


def main():
    sys.setrecursionlimit(10000)
    for line in sys.stdin:
        if not line.strip():
            continue
        code = json.loads(line)["code"]
        try:
            result = views(code)
        except (SyntaxError, ValueError, tokenize.TokenError, RecursionError, MemoryError) as e:
            result = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
