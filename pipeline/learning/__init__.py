"""Learning from reviewers: corrections as training data, a safety gate before any new model is
used, versioned models with cards and rollback, and a report of the cases the system got wrong.

- examples.py    labelled texts (JSONL corpora) and their content hash
- corrections.py reviewer labels from the store's label history, split for training or evaluation
- metrics.py     the triage figures (urgent-or-higher recall and precision, emergency recall, concern accuracy)
- gate.py        the promotion rule: what a candidate must not make worse
- versions.py    models side by side, each with a card, and the pointer to the active one
- retrain.py     train a candidate, measure it against the current model, promote or refuse
- hard_cases.py  reviewer disagreements grouped by the kind of error
"""
