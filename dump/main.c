#include <stdio.h>
int main(void) { puts("csdump " CS_VERSION); return 0; }
