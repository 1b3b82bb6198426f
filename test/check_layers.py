#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check pmd/'s includes against the layer map of doc/design.md.

The map is the table under "## Layers (pmd/)": its first column starts with
the layer number, its second names the files in backquotes. Every file of
pmd/ must be named once; a file may include only files of its own layer or
of a layer below, and no two headers may include each other (directly or
through others). Prints one line per violation; exit status 1 if any.

    check_layers.py SOURCE_ROOT
"""
import os
import re
import sys


def layer_map(design):
    """File name -> layer number, from the design note's layer table."""
    text = open(design, encoding='utf-8').read()
    start = text.index('## Layers (pmd/)')
    end = text.index('\n## ', start + 1)
    layers = {}
    for line in text[start:end].splitlines():
        cells = line.split('|')
        if len(cells) < 4 or not re.match(r'\s*\d', cells[1]):
            continue
        level = int(cells[1].split()[0])
        for name in re.findall(r'`([^`]+)`', cells[2]):
            if name in layers:
                sys.exit('%s named twice in the layer table' % name)
            layers[name] = level
    return layers


def includes(path):
    """The project headers a file includes ("..." includes)."""
    with open(path, encoding='utf-8') as f:
        return re.findall(r'^#include "([^"]+)"', f.read(), re.M)


def cycles(graph):
    """Include cycles among headers, each as a list of names."""
    found, state = [], {}

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    root = sys.argv[1]
    layers = layer_map(os.path.join(root, 'doc', 'design.md'))
    pmd = os.path.join(root, 'pmd')
    files = sorted(f for f in os.listdir(pmd) if f.endswith(('.c', '.h')))
    errors = []
    graph = {}
    for name in files:
        if name not in layers:
            errors.append('%s: not in the layer table of doc/design.md' % name)
            continue
        incs = includes(os.path.join(pmd, name))
        if name.endswith('.h'):
            graph[name] = [i for i in incs if i.endswith('.h')]
        for inc in incs:
            if inc not in layers:
                errors.append('%s: includes %s, not in the layer table' % (name, inc))
            elif layers[inc] > layers[name]:
                errors.append('%s (layer %d) includes %s of layer %d above it'
                    % (name, layers[name], inc, layers[inc]))
    for name in sorted(set(layers) - set(files)):
        errors.append('%s: in the layer table, not in pmd/' % name)
    for cyc in cycles(graph):
        errors.append('include cycle: %s' % ' -> '.join(cyc))
    for e in errors:
        print(e)
    print('%d files in %d layers, %d problems' % (len(files),
        len(set(layers.values())), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
