// Placeholder for a library whose sources arrive with a later issue.
