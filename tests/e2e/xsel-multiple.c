/* SPDX-License-Identifier: MIT */
/*
 * Test helper: ask the owner of a selection for several targets at once
 * with MULTIPLE and print one line per target: "TARGET len DATA" (DATA as
 * text), or "TARGET refused" when the owner replaced the property by None.
 * Usage: xsel-multiple SELECTION TARGET...
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_TARGETS 16

int main(int argc, char **argv)
{
	Display *dpy = XOpenDisplay(NULL);
	if (!dpy || argc < 3 || argc - 2 > MAX_TARGETS)
		return 2;
	Window w = XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 1, 1,
				       0, 0, 0);
	Atom sel = XInternAtom(dpy, argv[1], False);
	Atom multiple = XInternAtom(dpy, "MULTIPLE", False);
	Atom pair_prop = XInternAtom(dpy, "XSEL_MULTIPLE", False);
	Atom atom_pair = XInternAtom(dpy, "ATOM_PAIR", False);
	int n = argc - 2;
	long pairs[2 * MAX_TARGETS];

	for (int i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "XSEL_PROP_%d", i);
		pairs[2 * i] = (long)XInternAtom(dpy, argv[i + 2], False);
		pairs[2 * i + 1] = (long)XInternAtom(dpy, name, False);
	}
	XChangeProperty(dpy, w, pair_prop, atom_pair, 32, PropModeReplace,
			(unsigned char *)pairs, 2 * n);
	XConvertSelection(dpy, sel, multiple, pair_prop, w, CurrentTime);
	alarm(20);

	XEvent ev;
	do
		XNextEvent(dpy, &ev);
	while (ev.type != SelectionNotify);
	if (ev.xselection.property == None) {
		printf("MULTIPLE refused\n");
		return 1;
	}

	Atom type;
	int format;
	unsigned long nitems, after;
	unsigned char *data;
	XGetWindowProperty(dpy, w, pair_prop, 0, 1024, False, AnyPropertyType,
			   &type, &format, &nitems, &after, &data);
	long *back = (long *)data;
	for (unsigned long i = 0; i + 1 < nitems; i += 2) {
		char *tname = XGetAtomName(dpy, (Atom)back[i]);
		if ((Atom)back[i + 1] == None) {
			printf("%s refused\n", tname);
		} else {
			unsigned char *v;
			unsigned long len;
			XGetWindowProperty(dpy, w, (Atom)back[i + 1], 0, 1 << 20,
					   False, AnyPropertyType, &type, &format,
					   &len, &after, &v);
			printf("%s %lu %.*s\n", tname, len, (int)len, v);
			XFree(v);
		}
		XFree(tname);
	}
	XFree(data);
	XCloseDisplay(dpy);
	return 0;
}
