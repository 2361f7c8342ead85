"""Demo data: real public jobs and resumes, roles and an HR structure to try SmartHR with."""
