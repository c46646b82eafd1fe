# data/: udev, systemd, tmpfiles and autostart files.
# vdagent (X11 agent): XDG autostart file and systemd user unit.
if BUILD_X11_AGENT
xdgautostartdir = $(sysconfdir)/xdg/autostart
dist_xdgautostart_DATA = data/vdagent.desktop
systemduserunitdir = $(prefix)/lib/systemd/user
systemduserunit_DATA = data/vdagent.service
CLEANFILES += data/vdagent.service
data/vdagent.service: data/vdagent.service.in
	$(AM_V_GEN)$(MKDIR_P) data && \
	$(SED) -e 's|@bindir[@]|$(bindir)|g' $< > $@
endif
EXTRA_DIST += data/vdagent.service.in

# vdagentd (system daemon): udev rule, socket-activated units, tmpfiles.
if BUILD_DAEMON
udevrulesdir = $(prefix)/lib/udev/rules.d
dist_udevrules_DATA = data/70-vdagentd.rules
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = data/vdagentd.service
dist_systemdunit_DATA = data/vdagentd.socket
tmpfilesdir = $(prefix)/lib/tmpfiles.d
tmpfiles_DATA = data/vdagentd.conf

data/vdagentd.service: $(top_srcdir)/data/vdagentd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) data && \
	$(SED) -e 's|@sbindir[@]|$(sbindir)|g' $< > $@
data/vdagentd.conf: $(top_srcdir)/data/vdagentd.tmpfiles
	$(AM_V_GEN)$(MKDIR_P) data && cp $< $@
CLEANFILES += data/vdagentd.service data/vdagentd.conf
endif
EXTRA_DIST += data/vdagentd.service.in data/vdagentd.tmpfiles
