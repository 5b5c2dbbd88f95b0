#!/bin/sh
# Stand-in for Tekton's nop image: does nothing and succeeds.
exit 0
