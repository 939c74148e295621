"""Deployment: systemd units, the nginx site, and the same layout on local ports."""
