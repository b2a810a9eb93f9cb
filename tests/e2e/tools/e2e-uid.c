/* e2e-uid: print the real and effective ids in the format of id(1)'s first
 * fields, so that run.sh reads every case's output the same way. Built
 * static (gcc -static) by setup.sh: it runs in FROM-scratch images. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("uid=%lu gid=%lu euid=%lu egid=%lu\n",
	       (unsigned long)getuid(), (unsigned long)getgid(),
	       (unsigned long)geteuid(), (unsigned long)getegid());
	return fflush(stdout) == 0 ? 0 : 1;
}
