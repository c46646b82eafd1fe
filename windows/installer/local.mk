# windows/installer/: the MSI, built with wixl (Debian package wixl, from
# msitools) by "make msi" in a mingw build tree:
#   vdagent-$(PACKAGE_VERSION)-x64.msi
# holding windows/vdagent/vdagent.exe and windows/vdservice/vdservice.exe.

WIXL = wixl
MSI_NAME = vdagent-$(PACKAGE_VERSION)-x64.msi
EXTRA_DIST += windows/installer/vdagent.wxs

if OS_WINDOWS
msi: $(MSI_NAME)

$(MSI_NAME): $(top_srcdir)/windows/installer/vdagent.wxs \
		windows/vdagent/vdagent$(EXEEXT) \
		windows/vdservice/vdservice$(EXEEXT)
	$(AM_V_GEN)$(WIXL) -a x64 -D Version=$(PACKAGE_VERSION) \
		-D AgentExe=windows/vdagent/vdagent$(EXEEXT) \
		-D ServiceExe=windows/vdservice/vdservice$(EXEEXT) \
		-o $@.tmp $(top_srcdir)/windows/installer/vdagent.wxs && \
	mv -f $@.tmp $@

CLEANFILES += $(MSI_NAME) $(MSI_NAME).tmp
else
msi:
	@echo "make msi: configure with --host=x86_64-w64-mingw32 first" >&2; \
	exit 1
endif

.PHONY: msi
