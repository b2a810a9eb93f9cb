/*
 * e2e-probe: what a hardened container may do. Prints its ids, its
 * effective capabilities (CapEff of /proc/self/status), and for each PATH
 * argument whether a file can be created in it ("write PATH: ok" or
 * "write PATH: EROFS" …). Built static by setup.sh so that any image can
 * run it. Exit status 0 unless /proc cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *
errname(int e)
{
	switch (e) {
	case EROFS: return "EROFS";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ENOSPC: return "ENOSPC";
	default: return strerror(e);
	}
}

static void
try_write(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/e2e-probe.%ld", dir, (long)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		printf("write %s: %s\n", dir, errname(errno));
		return;
	}
	int ok = write(fd, "x\n", 2) == 2;
	close(fd);
	unlink(path);
	printf("write %s: %s\n", dir, ok ? "ok" : errname(errno));
}

int
main(int argc, char **argv)
{
	printf("uid=%ld gid=%ld\n", (long)getuid(), (long)getgid());
	FILE *f = fopen("/proc/self/status", "r");
	if (!f) {
		printf("CapEff: cannot read /proc/self/status: %s\n", strerror(errno));
		return 1;
	}
	char line[256];
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "CapBnd:", 7) == 0 ||
		    strncmp(line, "NoNewPrivs:", 11) == 0)
			fputs(line, stdout);
	fclose(f);
	for (int i = 1; i < argc; i++)
		try_write(argv[i]);
	return 0;
}
