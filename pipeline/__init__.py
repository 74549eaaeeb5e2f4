"""vmtriage: transcribe, triage and rank patient voicemails for callback."""
