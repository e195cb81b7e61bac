"""Deployment material: nginx site files and the local cluster (`make cluster`)."""
