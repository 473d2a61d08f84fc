/* placeholder */ typedef int calib_placeholder_t;
