# Turns plots/*.gp into a table of C arrays (sim/out/plot_scripts.h):
#   cmake -DDIR=plots -DOUT=file.c -P embed_plots.cmake
file(GLOB scripts ${DIR}/*.gp)
list(SORT scripts)
set(body "/* generated from the .gp files in plots/ by sim/out/embed_plots.cmake */\n#include \"out/plot_scripts.h\"\n\n")
set(table "")
set(i 0)
foreach(f ${scripts})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "static const unsigned char script${i}[] = {${bytes} 0x00};\n")
  string(APPEND table "    {\"${name}\", script${i}, sizeof script${i} - 1},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst struct plot_script plot_scripts[] = {\n${table}};\n"
  "const size_t plot_nscripts = ${i};\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
