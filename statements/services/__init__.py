"""Workflows that touch several models, one module per concept:

- imports: parse and store statements (files, folders, the admin's previewed batches);
- comparing: load a pair of statements, align them and find each side's words;
- curation: saved comparisons and the links readers confirm, reject, retype or add;
- exports: the JSON documents of comparisons and of readers' notes (W3C Web Annotations);
- vocabulary: a source's distinctive words against every other source;
- picking: statements found by a few words, for the compare picker's search box.
"""
