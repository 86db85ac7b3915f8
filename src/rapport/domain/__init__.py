"""Pure rules of the service desk: no Django, no I/O, no clock reads (time is an argument)."""
