"""HR: departments, employees, anonymous surveys and their analysis."""
