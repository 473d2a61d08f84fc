# Turns a file into a C array: cmake -DIN=file -DOUT=file.c -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* generated from configs/default.json by sim/embed.cmake */\n"
  "#include <stddef.h>\n"
  "const unsigned char scn_default_json[] = {${bytes} 0x00};\n"
  "const size_t scn_default_json_len = sizeof(scn_default_json) - 1;\n")
