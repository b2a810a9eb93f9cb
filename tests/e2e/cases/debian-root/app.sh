#!/bin/sh
# Stands in for a service: says who it runs as.
exec id
