"""Lists the op types of each DPU subgraph of a `protoc --decode` dump.

Parses the text format with a small brace-matching reader so the test does
not depend on our own reader.
"""
import collections
import re
import sys


def blocks(text, name):
    """Yields the bodies of top-level `name { ... }` blocks."""
    for match in re.finditer(r"^%s \{$" % name, text, re.M):
        depth, i = 1, match.end()
        while depth:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        yield text[match.end():i - 1]


def main():
    text = open(sys.argv[1]).read()
    op_types = {}
    for body in blocks(text, "op_node"):
        name = re.search(r'^  op_name: "(.*)"$', body, re.M).group(1)
        op_types[name] = re.search(r'^  op_type: "(.*)"$', body, re.M).group(1)
    root = next(blocks(text, "subg_root"))
    for child in re.split(r"^  subg_child \{$", root, flags=re.M)[1:]:
        name = re.search(r'subgraph_name: "(.*)"', child).group(1)
        device = re.search(r'key: "device"\s+value \{\s+string_value: "(\w+)"',
                           child).group(1)
        if device != "DPU":
            continue
        ops = re.findall(r'^    op_name: "(.*)"$', child, re.M)
        types = collections.Counter(op_types[op] for op in ops)
        fix = all(t.endswith("-fix") for t in types)
        print("DPU subgraph %s: %d ops, %s" % (
            name, len(ops), "all *-fix" if fix else "NOT all *-fix"))
        print(", ".join("%s %d" % kv for kv in sorted(types.items())))


main()
